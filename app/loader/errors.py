"""The one error the loader raises: bad seed data, naming the record at fault."""


class SeedError(Exception):
    def __init__(self, problems: list[str], shown: int = 20) -> None:
        """`shown`: how many problems the message lists (all of them where each one matters,
        as for the records still marked as drafts)."""
        self.problems = problems
        listed = "\n  ".join(problems[:shown])
        more = f"\n  ... and {len(problems) - shown} more" if len(problems) > shown else ""
        super().__init__(f"The seed has {len(problems)} problem(s):\n  {listed}{more}")
