from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import CheckConstraint

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.AddConstraint(
            model_name='Account',
            constraint=CheckConstraint(check="role IN ('producer', 'buyer', 'organiser', 'admin')", name='account_role_valid'),
        ),
        ops.AddConstraint(
            model_name='Account',
            constraint=CheckConstraint(check="language IN ('vi', 'en')", name='account_language_valid'),
        ),
        ops.AddConstraint(
            model_name='AllocationRun',
            constraint=CheckConstraint(check="kind IN ('booths', 'meetings')", name='run_kind_valid'),
        ),
        ops.AddConstraint(
            model_name='AllocationRun',
            constraint=CheckConstraint(check="status IN ('draft', 'published', 'superseded')", name='run_status_valid'),
        ),
        ops.AddConstraint(
            model_name='Booth',
            constraint=CheckConstraint(check='w > 0 AND h > 0', name='booth_size_positive'),
        ),
        ops.AddConstraint(
            model_name='Booth',
            constraint=CheckConstraint(check="kind IN ('standard', 'corner', 'island')", name='booth_kind_valid'),
        ),
        ops.AddConstraint(
            model_name='BoothApplication',
            constraint=CheckConstraint(check='booths_wanted >= 1 AND booths_wanted <= 4', name='application_booths_range'),
        ),
        ops.AddConstraint(
            model_name='BoothApplication',
            constraint=CheckConstraint(check="status IN ('submitted', 'withdrawn', 'accepted', 'waitlisted', 'rejected')", name='application_status_valid'),
        ),
        ops.AddConstraint(
            model_name='Buyer',
            constraint=CheckConstraint(check="kind IN ('distributor', 'wholesaler', 'supermarket', 'exporter', 'horeca', 'souvenir_shop')", name='buyer_kind_valid'),
        ),
        ops.AddConstraint(
            model_name='Demand',
            constraint=CheckConstraint(check='quantity > 0', name='demand_quantity_positive'),
        ),
        ops.AddConstraint(
            model_name='Demand',
            constraint=CheckConstraint(check='max_price_vnd IS NULL OR max_price_vnd > 0', name='demand_max_price_positive'),
        ),
        ops.AddConstraint(
            model_name='Demand',
            constraint=CheckConstraint(check='min_stars IS NULL OR (min_stars >= 3 AND min_stars <= 5)', name='demand_min_stars_range'),
        ),
        ops.AddConstraint(
            model_name='Demand',
            constraint=CheckConstraint(check="status IN ('open', 'closed', 'fulfilled', 'expired')", name='demand_status_valid'),
        ),
        ops.AddConstraint(
            model_name='Demand',
            constraint=CheckConstraint(check="recurrence IN ('once', 'monthly')", name='demand_recurrence_valid'),
        ),
        ops.AddConstraint(
            model_name='EmailMessage',
            constraint=CheckConstraint(check="status IN ('pending', 'sent', 'failed')", name='email_status_valid'),
        ),
        ops.AddConstraint(
            model_name='Fair',
            constraint=CheckConstraint(check='ends_on >= starts_on', name='fair_dates_ordered'),
        ),
        ops.AddConstraint(
            model_name='Fair',
            constraint=CheckConstraint(check='applications_close > applications_open', name='fair_window_ordered'),
        ),
        ops.AddConstraint(
            model_name='Fair',
            constraint=CheckConstraint(check='booth_fee_vnd >= 0', name='fair_fee_nonnegative'),
        ),
        ops.AddConstraint(
            model_name='Fair',
            constraint=CheckConstraint(check='province_cap IS NULL OR (province_cap > 0 AND province_cap <= 1)', name='fair_province_cap_range'),
        ),
        ops.AddConstraint(
            model_name='Fair',
            constraint=CheckConstraint(check='first_timer_share >= 0 AND first_timer_share <= 1', name='fair_first_timer_share_range'),
        ),
        ops.AddConstraint(
            model_name='Fair',
            constraint=CheckConstraint(check="status IN ('draft', 'open', 'closed', 'allocated', 'published')", name='fair_status_valid'),
        ),
        ops.AddConstraint(
            model_name='Meeting',
            constraint=CheckConstraint(check='slot >= 0 AND table_number >= 1', name='meeting_place_valid'),
        ),
        ops.AddConstraint(
            model_name='Meeting',
            constraint=CheckConstraint(check="status IN ('scheduled', 'cancelled')", name='meeting_status_valid'),
        ),
        ops.AddConstraint(
            model_name='MeetingRequest',
            constraint=CheckConstraint(check='requester_id <> recipient_id', name='meeting_request_two_sides'),
        ),
        ops.AddConstraint(
            model_name='MeetingRequest',
            constraint=CheckConstraint(check="status IN ('pending', 'accepted', 'declined', 'cancelled')", name='meeting_request_status_valid'),
        ),
        ops.AddConstraint(
            model_name='MeetingSession',
            constraint=CheckConstraint(check='slot_minutes > 0 AND slots > 0 AND tables > 0', name='meeting_session_sizes_positive'),
        ),
        ops.AddConstraint(
            model_name='Producer',
            constraint=CheckConstraint(check="kind IN ('cooperative', 'cooperative_group', 'enterprise', 'household')", name='producer_kind_valid'),
        ),
        ops.AddConstraint(
            model_name='Product',
            constraint=CheckConstraint(check='price_vnd > 0', name='product_price_positive'),
        ),
        ops.AddConstraint(
            model_name='Product',
            constraint=CheckConstraint(check='min_order >= 1', name='product_min_order_positive'),
        ),
        ops.AddConstraint(
            model_name='Product',
            constraint=CheckConstraint(check='monthly_capacity >= min_order', name='product_capacity_covers_min_order'),
        ),
        ops.AddConstraint(
            model_name='Product',
            constraint=CheckConstraint(check='stars IS NULL OR (stars >= 1 AND stars <= 5)', name='product_stars_range'),
        ),
        ops.AddConstraint(
            model_name='Product',
            constraint=CheckConstraint(check='stars IS NULL OR stars < 3 OR (certificate_number IS NOT NULL AND decision_date IS NOT NULL)', name='product_rated_has_certificate'),
        ),
        ops.AddConstraint(
            model_name='Product',
            constraint=CheckConstraint(check='"group" IN (\'food\', \'beverages\', \'herbal\', \'textiles\', \'handicrafts\', \'tourism\')', name='product_group_valid'),
        ),
        ops.AddConstraint(
            model_name='Product',
            constraint=CheckConstraint(check="status IN ('draft', 'published', 'archived')", name='product_status_valid'),
        ),
        ops.AddConstraint(
            model_name='Quote',
            constraint=CheckConstraint(check='price_vnd > 0', name='quote_price_positive'),
        ),
        ops.AddConstraint(
            model_name='Quote',
            constraint=CheckConstraint(check='quantity > 0', name='quote_quantity_positive'),
        ),
        ops.AddConstraint(
            model_name='Quote',
            constraint=CheckConstraint(check='lead_time_days >= 0', name='quote_lead_time_nonnegative'),
        ),
        ops.AddConstraint(
            model_name='Quote',
            constraint=CheckConstraint(check="status IN ('submitted', 'shortlisted', 'accepted', 'declined', 'withdrawn')", name='quote_status_valid'),
        ),
        ops.AddConstraint(
            model_name='SearchOutbox',
            constraint=CheckConstraint(check="op IN ('upsert', 'delete')", name='outbox_op_valid'),
        ),
        ops.AddConstraint(
            model_name='SourcingShare',
            constraint=CheckConstraint(check='quantity > 0', name='sourcing_quantity_positive'),
        ),
    ]
