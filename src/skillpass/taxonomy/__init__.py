"""Taxonomy: ESCO import (official CSV folder or zip), search, the STEM capability framework."""
