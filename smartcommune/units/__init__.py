"""Administrative units: provinces, districts, communes, and their lineage across reforms."""
