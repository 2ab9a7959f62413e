"""Authoring: exercise sources -> checks -> nbgrader source -> release -> proof.

exercise (the model of one MyST exercise), lint (`rta check`), nbgrader_source (the
source notebook nbgrader reads), release (stock nbgrader makes the student release and
the solution), prove (`rta prove`: real nbgrader grades solution, blank and stubs).
"""
