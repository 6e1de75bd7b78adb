"""Data to start from: the demo accounts (`flask demo`) and district-scale data (`seed-scale`)."""
