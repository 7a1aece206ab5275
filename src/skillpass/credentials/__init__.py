"""Credentials: the Annex I micro-credential model, Open Badges 3.0 and European Learning Model
formats, keys and DIDs, proofs (Data Integrity, VC-JWT, JAdES seals), status lists, issuance and
one verification engine for every adapter."""
