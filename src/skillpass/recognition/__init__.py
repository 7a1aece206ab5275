"""Recognition: compare what a person has with what an occupation, capability area or
qualification needs, and record the recognition officer's decision."""
