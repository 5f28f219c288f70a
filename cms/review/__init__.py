"""The medical review: how Verity governs what it says about health.

    claims.py            which blocks are medical claims, and their fingerprints
    models.py            verdicts on claims, the article sign-off, the review cadence setting
    status.py            where a page's review stands: claim statuses, the trust line, reviews due
    actions.py           a reviewer's actions: verify or flag a claim, approve (sign off), request changes
    task.py              MedicalReviewTask, the workflow step that gates approval; waiting_for_medical_review
    workflow.py          the default "Editorial and medical review" workflow
    roles.py             the editorial groups and their permissions
    post_migrate.py      sets up roles and the workflow after every migrate
    publishing_rules.py  who may publish, unpublish and delete what
    views.py, outcome.py the medical review screen, and what a workflow action tells its user
    reports.py           the "Medical reviews due" report

It imports neither blog nor shop.
"""
