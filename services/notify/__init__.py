"""E-mail notifications through a transactional outbox.

    outbox.py   the rows to send: written in the caller's transaction, claimed, marked
    mail.py     what the messages say (French), built with email.message.EmailMessage
    sender.py   delivers due rows over SMTP (smtplib), retries, never twice as the reader sees it
    digest.py   the team's morning digest of open requests (working days only)
    config.py   the mail server's settings (secrets or environment, never office.toml)

Run it from a scheduler with `python -m services.notify --once` (or `--loop`); the kiosk
also runs one sender per server process in the background (ui/notify.py).
"""
