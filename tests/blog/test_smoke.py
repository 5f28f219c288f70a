from .. import factories


def test_post_renders(client, blog, shop):
    expert = factories.make_expert()
    source = factories.make_source()
    product = factories.make_product(shop)
    post = factories.make_post(
        blog,
        body=[
            factories.expert_quote(expert, sources=[source]),
            factories.statistic([source]),
            factories.products_block([product]),
        ],
    )
    response = client.get(post.url)
    assert response.status_code == 200
    assert expert.full_name in response.content.decode()
