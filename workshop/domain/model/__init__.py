"""The model and its operations: elements, the session, the operations and their rules, the document."""
