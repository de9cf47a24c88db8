"""NTM criteria: the catalogue of sets, imports, yearly assessments, the matrix, warnings, history."""
