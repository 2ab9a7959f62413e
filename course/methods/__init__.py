"""Small, tested estimators shared by the course's chapters (one implementation each)."""
