from __future__ import annotations

from django.db import migrations

# A record's history and "who looked at this child" filter the audit trail by content type
# and object together; without this index SQLite scans every entry of that type.
INDEX = "sapling_auditlog_record_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_secure_links_and_outbox"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX {INDEX} ON auditlog_logentry (content_type_id, object_pk)",
            reverse_sql=f"DROP INDEX {INDEX}",
        )
    ]
