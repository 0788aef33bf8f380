"""The one error the loader raises: bad seed data, naming the record at fault."""


class SeedError(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"The seed has {len(problems)} problem(s):\n  {shown}{more}")
