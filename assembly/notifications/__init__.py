"""The notification layer at the foot of the chain: what every app that e-mails people uses."""
