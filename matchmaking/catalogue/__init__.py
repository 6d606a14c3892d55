"""The catalogue: producers, their products, photos and spreadsheet imports."""
