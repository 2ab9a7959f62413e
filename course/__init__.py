"""From Research to Action MOOC: course sources -> book, nbgrader assignments, grades, feedback."""

__version__ = "0.1.0"
