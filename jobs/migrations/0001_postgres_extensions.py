from django.contrib.postgres.operations import (
    BtreeGinExtension,
    TrigramExtension,
    UnaccentExtension,
)
from django.db import migrations


class Migration(migrations.Migration):
    """Extensions the board's search relies on: typo tolerance, accent folding, combined GIN indexes."""

    initial = True
    dependencies: list = []
    operations = [TrigramExtension(), UnaccentExtension(), BtreeGinExtension()]
