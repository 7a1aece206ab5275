"""The competence passport: a learner's verifiable record, RPL and consent-based sharing."""
