"""Sessions in PostgreSQL with a copy in Redis (Django's cached_db), tolerant of a Redis outage.

A signed-in request reads its session from Redis (no SQL; issue 17.3: the cached board, saved
and dashboard pages cost the session, the user and one Redis read). PostgreSQL stays the
durable store: a Redis restart loses no session. Django's cached_db already survives a failed
write to the cache; reading one would still fail (the copy it writes back, and `exists` while
making a new key), so those fall back to the database here. Deleting (log-out, the key cycled
at log-in) removes the Redis copy first and fails when it cannot: a copy left behind would let
a logged-out session come back with Redis.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.contrib.sessions.backends import cached_db

if TYPE_CHECKING:
    from django.contrib.sessions.models import Session
    from django.core.cache.backends.base import BaseCache

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    if TYPE_CHECKING:  # set by cached_db / db, not in django-stubs
        _cache: BaseCache

        def _get_session_from_db(self) -> Session | None: ...

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            logger.warning("sessions: Redis unavailable, reading the database", exc_info=True)
            return self._load_from_db(cache_it=False)
        if data is None:
            return self._load_from_db(cache_it=True)
        return data

    def _load_from_db(self, *, cache_it: bool) -> dict:
        s = self._get_session_from_db()
        if not s:
            return {}
        data = self.decode(s.session_data)
        if cache_it:
            try:
                self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=s.expire_date))
            except Exception:
                logger.warning("sessions: could not copy a session to Redis", exc_info=True)
        return data

    def exists(self, session_key):
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:
            logger.warning("sessions: Redis unavailable, asking the database", exc_info=True)
        return super(cached_db.SessionStore, self).exists(session_key)

    def delete(self, session_key=None):
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self._cache.delete(self.cache_key_prefix + session_key)  # first, and it must succeed
        super(cached_db.SessionStore, self).delete(session_key)
