"""CareNet: the information system of a municipal social-services network."""

__version__ = "0.33.0"  # semantic versions; what each release changes, and how to roll it back: CHANGELOG.md
