"""Notifications: one message per run that lists every problem with what to do about it,
built apart from the channels that carry it.

    problems.py  what went wrong in a run, read from its run store and the warehouse
    message.py   the message: subject, plain text, Markdown (chat tools), per problem an action
    config.py    which channels are on: Apprise URLs (ETL_ALERT_URLS; older settings and
                 Airflow connections mapped to them), the file sink
    channels.py  one Apprise URL (mail, JSON webhook, Slack, DingTalk, WeCom, ...), the file sink
    deliver.py   every configured channel, retried; what was and was not delivered
"""
from __future__ import annotations

from .deliver import Delivery, deliver
from .message import Message, build_message
from .problems import Problem, run_problems

__all__ = ["Delivery", "Message", "Problem", "build_message", "deliver", "run_problems"]
