"""What people see of the results: the province overview, closest-to-recognition, the map,
commune scorecards, the public site, and (in :mod:`.exports`) the Excel, PDF and open-data
exports."""
