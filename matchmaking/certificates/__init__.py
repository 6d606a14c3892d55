"""The certificate register, verification of producers' claims, expiry and statistics."""
