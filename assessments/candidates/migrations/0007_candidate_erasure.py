# Written by hand (another change to Candidate was in progress in the same checkout).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('candidates', '0006_decision_events'),
    ]

    operations = [
        migrations.AddField(
            model_name='candidate',
            name='erased_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='personal data erased at'),
        ),
        migrations.AlterField(
            model_name='candidateevent',
            name='kind',
            field=models.CharField(choices=[('created', 'Candidate created'), ('updated', 'Details changed'), ('stage_changed', 'Stage changed'), ('resume_uploaded', 'Resume uploaded'), ('takehome_issued', 'Take-home issued'), ('takehome_changed', 'Take-home link changed'), ('takehome_submitted', 'Take-home submitted'), ('takehome_reviewed', 'Take-home reviewed'), ('screening_done', 'Resume screened'), ('screening_decided', 'Screening decision'), ('interview_scheduled', 'Interview scheduled'), ('scorecard_submitted', 'Scorecard submitted'), ('scorecard_reopened', 'Scorecard reopened'), ('hiring_decision', 'Hiring decision'), ('erased', 'Personal data erased')], max_length=32),
        ),
    ]
