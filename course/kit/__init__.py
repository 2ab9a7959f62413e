"""The instructor kit (`rta export`) and the files an LMS imports: a Common Cartridge,
nbgitpuller links, Canvas and Moodle grade CSVs (lms).
"""
