"""Text messages (SMS) through the outbox: the same rows, claims, leases,
retries and dedup keys as email (``channel = "sms"``), a transport that writes
files under ``instance/sms/`` or posts to an HTTP gateway (Twilio's
Programmable Messaging API), segment counting, and the STOP replies."""
