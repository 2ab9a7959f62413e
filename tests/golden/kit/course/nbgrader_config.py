"""nbgrader configuration for the From Research to Action MOOC course directory."""
import os

c = get_config()  # noqa: F821 (provided by nbgrader)
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "rta-mooc"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# A slow cell in a student notebook must not hang a whole batch.
c.ExecutePreprocessor.timeout = 60
c.Execute.timeout = 60
# Every released notebook opens with the course attribution and licence.
c.IncludeHeaderFooter.header = os.path.join(c.CourseDirectory.root, "source", "header.ipynb")
