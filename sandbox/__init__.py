"""The Docker sandbox that runs candidates' code (see DESIGN.md): image recipe,
runner, limits and graders. Built by the sandbox issue; no Django imports here."""
