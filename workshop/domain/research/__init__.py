"""Research and the study: records of surveys and data collection, the study of many sittings, relational
coordination, privacy and anonymity."""
