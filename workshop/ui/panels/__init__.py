"""The docked panels of the method: facilitation, votes, boundaries, glossary, health, surveys."""
