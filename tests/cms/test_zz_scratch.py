def test_dump(client, demo):
    for url in ["/", "/blog/", "/blog/what-it-means-if-you-cry-after-sex/", "/shop/", "/shop/aftercare-bundle/", "/experts/tantry/", "/search/?q=sex", "/blog/feed/", "/sitemap.xml", "/robots.txt", "/nope/"]:
        r = client.get(url)
        name = url.strip("/").replace("/", "_").replace("?", "_") or "home"
        open(f"/tmp/h1/{name}.html", "wb").write(r.content)
        print(url, r.status_code)
    from shop.models import ProductPage
    for p in ProductPage.objects.all():
        print(p.url, p.slug)
    r = client.get(ProductPage.objects.get(sku="VER-LUBE-01").url)
    open("/tmp/h1/product.html", "wb").write(r.content)
