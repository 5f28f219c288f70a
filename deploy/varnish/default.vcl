# Verity's edge cache. The policy lives here; where the web instances and the media bucket are lives in
# backends.vcl, one per deployment (backends.compose.vcl for docker-compose; `verity.py stack` writes its own).
#
# The application decides what may be shared: anonymous pages carry `Cache-Control: public, s-maxage=...,
# stale-while-revalidate=...`, everything else is private. This file caches only what it is told to, keeps
# logged-in people out of the cache, and takes purges only from the web hosts.
vcl 4.1;

import directors;
import std;

include "backends.vcl";

sub vcl_recv {
    # Publishing purges a page (Wagtail's HTTP backend sends PURGE); a BAN takes a URL pattern in X-Ban-Url.
    # Both only from the web hosts, so no reader can empty the cache.
    if (req.method == "PURGE" || req.method == "BAN") {
        if (!client.ip ~ purgers) {
            return (synth(403, "Purging is not allowed from " + client.ip));
        }
        if (req.method == "BAN") {
            ban("obj.http.X-Host == " + req.http.host + " && obj.http.X-Url ~ " + req.http.X-Ban-Url);
            return (synth(200, "Banned"));
        }
        # Every variant of the path (?page=2, ?tag=...) goes with the page itself.
        ban("obj.http.X-Host == " + req.http.host + " && obj.http.X-Url ~ ^" + regsub(req.url, "\?.*$", "") + "(\?|$)");
        return (synth(200, "Purged"));
    }

    # Tracking parameters never change a page: drop them, so they neither split nor bypass the cache.
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|ref_src)=") {
        set req.url = regsuball(req.url, "(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|ref_src)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]+$", "");
        set req.url = regsub(req.url, "\?&+", "?");
    }

    # One id per reader's request, in the application's logs and on the response, even for a cache hit.
    if (!req.http.X-Request-ID) {
        set req.http.X-Request-ID = "edge-" + req.xid;
    }

    if (req.url ~ "^/media/") {
        call verity_media;
        unset req.http.Cookie;
        unset req.http.Authorization;
        return (hash);
    }
    set req.backend_hint = web.backend();

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, signed-in people and API clients with credentials always reach the application.
    if (req.url ~ "^/admin(/|$)" || req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Readers' other cookies (analytics, a CSRF token from a form) do not make a page theirs.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Kept on the object so that purges and bans can find it (see vcl_recv).
    set beresp.http.X-Host = bereq.http.host;
    set beresp.http.X-Url = bereq.url;
    if (bereq.url ~ "^/media/" || bereq.http.X-Verity-Media) {
        # Media files never change under a name (Wagtail makes a new name for a new file).
        if (beresp.status == 200) {
            set beresp.ttl = 1d;
            set beresp.http.Cache-Control = "public, max-age=86400";
        }
        return (deliver);
    }
    # Only what the application marked public is shared; Set-Cookie or private means this reader's.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "public") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
}

sub vcl_backend_error {
    # A web instance that has just gone (before its probe says so): a read tries the other one instead
    # of showing the reader an error.
    if (bereq.retries < 1 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        return (retry);
    }
}

sub vcl_deliver {
    set resp.http.X-Request-ID = req.http.X-Request-ID;
    if (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "hit";
    } else {
        set resp.http.X-Edge-Cache = "miss";
    }
    unset resp.http.X-Host;
    unset resp.http.X-Url;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
