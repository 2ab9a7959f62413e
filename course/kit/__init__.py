"""The instructor kit (`rta export`: export, book, course_dir, texts with their wording in
template/, cartridge) and the LMS grade files (`rta grades`: grades).
"""
