"""Reports: the three rates per team, the supervisor board, CSV and XLSX exports."""
