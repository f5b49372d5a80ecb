"""The command line and what it shows: parsing, rich views, `ptgrade watch`."""
