"""Importing questions from documents: the project's YAML format and plain-text
documents laid out like the seeds. Parsing (`yaml_format`, `text_formats`) turns
a file into entries with line numbers; `plan` decides what each entry does to
the bank and applies it in one transaction."""
