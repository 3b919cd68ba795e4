"""Opening, starting and exporting: sessions from files, the start page, New workshop, exports."""
