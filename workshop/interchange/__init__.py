"""Reading and writing other formats: BPMN 2.0, PDF report, pictures, CSV/JSON, REFI-QDA."""
