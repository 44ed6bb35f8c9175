from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.utils.crypto import salted_hmac


def stamp_existing_tokens(apps, schema_editor):
    """Tokens issued before this release expire KESU_TOKEN_DAYS after issue and are tied to
    their user's present password (the formula of AbstractBaseUser.get_session_auth_hash)."""
    ApiToken = apps.get_model("api", "ApiToken")
    days = timedelta(days=settings.KESU_TOKEN_DAYS)
    for token in ApiToken.objects.select_related("user"):
        token.expires_at = token.created_at + days
        token.user_stamp = salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            token.user.password,
            algorithm="sha256",
        ).hexdigest()
        token.save(update_fields=["expires_at", "user_stamp"])


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="user_stamp",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(stamp_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
    ]
