# docker-compose's web instances and media bucket, for default.vcl.
backend web_1 {
    .host = "web-1";
    .port = "8000";
    .probe = { .url = "/healthz"; .interval = 2s; .timeout = 1s; .window = 3; .threshold = 2; }
}
backend web_2 {
    .host = "web-2";
    .port = "8000";
    .probe = { .url = "/healthz"; .interval = 2s; .timeout = 1s; .window = 3; .threshold = 2; }
}
backend media {
    .host = "minio";
    .port = "9000";
}

# The hosts that publish, and so may purge: the web instances and the tasks worker, on compose's network.
acl purgers {
    "localhost";
    "172.16.0.0"/12;
    "192.168.0.0"/16;
    "10.0.0.0"/8;
}

sub vcl_init {
    new web = directors.round_robin();
    web.add_backend(web_1);
    web.add_backend(web_2);
}

# /media/<key> is the bucket's object <key>.
sub verity_media {
    set req.backend_hint = media;
    set req.http.Host = "minio:9000";
    set req.http.X-Verity-Media = "1";
    set req.url = regsub(req.url, "^/media/", "/verity-media/");
}
