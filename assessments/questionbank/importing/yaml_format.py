"""The project's own YAML format: a list of entries (fixtures/questionbank/README.md)."""

from __future__ import annotations

import yaml
from django.utils.translation import gettext as _

from .entries import ParsedEntry
from .errors import ImportFormatError


def parse_yaml(text: str, *, document: str) -> list[ParsedEntry]:
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise ImportFormatError(_("the document is empty."), line=1, document=document)
        if not isinstance(root, yaml.SequenceNode):
            raise ImportFormatError(
                _("expected a list of questions (lines starting with “- ”)."),
                line=root.start_mark.line + 1,
                document=document,
            )
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise ImportFormatError(
            _("this is not valid YAML (%(problem)s).") % {"problem": error.problem or error.context},
            line=line,
            document=document,
        ) from None
    finally:
        loader.dispose()
    return [ParsedEntry(line=node.start_mark.line + 1, data=item) for node, item in zip(root.value, data, strict=True)]
