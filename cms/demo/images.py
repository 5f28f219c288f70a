"""Demo images drawn with Pillow, so the demo needs no downloads and no binary files in the repo.

One art direction, "warm dusk": soft two-tone gradients in the brand's palette (plum, blush, terracotta,
sage, sand), flat rounded shapes with a blurred glow and a soft shadow. What is drawn follows the title:

- a portrait ("Portrait of ...") is a head-and-shoulders silhouette;
- a product is a still life of the object its title names (a bottle, a wand, a jar, cards, a robe) on a plinth;
- anything else (a post's hero) is a landscape at dusk: a low sun, layered hills and two resting forms.

The title seeds every choice, so each product and post gets its own picture, and the same one on every run.
"""

import functools
import hashlib
import io
import math
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter
from wagtail.images import get_image_model

# (sky top, sky bottom, shape, accent): each a palette of the brand's, dark enough shapes to read as objects.
PALETTES = [
    ((246, 224, 228), (233, 178, 190), (122, 46, 79), (248, 240, 232)),  # blush and plum
    ((250, 232, 214), (232, 160, 128), (150, 66, 48), (255, 246, 236)),  # sand and terracotta
    ((226, 236, 226), (166, 196, 172), (52, 97, 70), (244, 248, 240)),  # sage
    ((236, 228, 244), (190, 168, 214), (88, 58, 130), (248, 244, 252)),  # lavender and aubergine
    ((252, 236, 222), (240, 196, 168), (122, 46, 79), (255, 250, 244)),  # peach and plum
    ((232, 238, 244), (176, 196, 214), (40, 74, 110), (246, 248, 252)),  # dusk blue
]

# Keywords of a product's title and the object drawn for it.
PRODUCT_MOTIFS = [
    (("lubricant", "lube", "gel", "serum"), "pump_bottle"),
    (("oil", "tincture", "drops"), "dropper_bottle"),
    (("wand", "massager", "vibrator", "toy"), "wand"),
    (("soak", "salt", "bath", "balm", "cream", "candle"), "jar"),
    (("cards", "game", "book", "journal", "deck"), "cards"),
    (("robe", "gown", "wrap", "sleepwear"), "robe"),
]


def seeded(title):
    """A random generator seeded by the title alone (Python's hash() of a str changes per process)."""
    return random.Random(int(hashlib.sha256(title.encode()).hexdigest()[:16], 16))


def mix(a, b, t):
    return tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))


def gradient(size, top, bottom):
    width, height = size
    picture = PILImage.new("RGB", size, top)
    pen = ImageDraw.Draw(picture)
    for y in range(height):
        pen.line([(0, y), (width, y)], fill=mix(top, bottom, y / max(1, height - 1)))
    return picture


def glow(picture, centre, radius, colour, blur):
    """A soft disc of light, blurred onto the picture."""
    layer = PILImage.new("L", picture.size, 0)
    x, y = centre
    ImageDraw.Draw(layer).ellipse([x - radius, y - radius, x + radius, y + radius], fill=200)
    layer = layer.filter(ImageFilter.GaussianBlur(blur))
    picture.paste(PILImage.new("RGB", picture.size, colour), (0, 0), layer)


def shadow(picture, box, blur):
    """A blurred ellipse under an object, so it stands on its plinth."""
    layer = PILImage.new("L", picture.size, 0)
    ImageDraw.Draw(layer).ellipse(box, fill=90)
    layer = layer.filter(ImageFilter.GaussianBlur(blur))
    picture.paste(PILImage.new("RGB", picture.size, (60, 30, 40)), (0, 0), layer)


def motif_of(title):
    words = title.lower()
    for keywords, motif in PRODUCT_MOTIFS:
        if any(keyword in words for keyword in keywords):
            return motif
    return None


def draw_product(picture, rng, motif, palette):
    width, height = picture.size
    _, bottom, shape, accent = palette
    u = min(width, height) / 100  # one unit: a hundredth of the shorter side
    cx = width / 2 + rng.uniform(-4, 4) * u
    floor = height * 0.8
    pen = ImageDraw.Draw(picture)
    glow(picture, (cx + rng.uniform(-20, 20) * u, height * 0.38), 34 * u, accent, 12 * u)
    # The plinth: a wide rounded slab the object stands on.
    pen.rounded_rectangle([cx - 34 * u, floor, cx + 34 * u, floor + 9 * u], radius=3 * u, fill=mix(bottom, shape, 0.25))
    shadow(picture, [cx - 20 * u, floor - 3 * u, cx + 20 * u, floor + 3 * u], 2 * u)
    pen = ImageDraw.Draw(picture)
    light = mix(shape, accent, 0.35)
    if motif == "pump_bottle":
        pen.rounded_rectangle([cx - 11 * u, floor - 40 * u, cx + 11 * u, floor], radius=5 * u, fill=shape)
        pen.rectangle([cx - 4 * u, floor - 47 * u, cx + 4 * u, floor - 40 * u], fill=light)
        pen.rectangle([cx - 2 * u, floor - 53 * u, cx + 2 * u, floor - 47 * u], fill=light)
        pen.rectangle([cx - 2 * u, floor - 53 * u, cx + 10 * u, floor - 50 * u], fill=light)
        pen.rounded_rectangle([cx - 7 * u, floor - 28 * u, cx + 7 * u, floor - 14 * u], radius=u, fill=accent)
    elif motif == "dropper_bottle":
        pen.rounded_rectangle([cx - 12 * u, floor - 30 * u, cx + 12 * u, floor], radius=6 * u, fill=shape)
        pen.rectangle([cx - 5 * u, floor - 38 * u, cx + 5 * u, floor - 30 * u], fill=light)
        pen.ellipse([cx - 5 * u, floor - 46 * u, cx + 5 * u, floor - 34 * u], fill=light)
        pen.rounded_rectangle([cx - 8 * u, floor - 20 * u, cx + 8 * u, floor - 9 * u], radius=u, fill=accent)
    elif motif == "wand":
        angle = math.radians(rng.uniform(-14, 14))
        top = (cx + math.sin(angle) * 52 * u, floor - math.cos(angle) * 52 * u)
        pen.line([(cx, floor - 2 * u), top], fill=shape, width=int(9 * u))
        pen.ellipse([top[0] - 10 * u, top[1] - 10 * u, top[0] + 10 * u, top[1] + 10 * u], fill=shape)
        pen.ellipse([cx - 5 * u, floor - 7 * u, cx + 5 * u, floor + u], fill=shape)
        mid = (cx + math.sin(angle) * 26 * u, floor - math.cos(angle) * 26 * u)
        pen.ellipse([mid[0] - 2 * u, mid[1] - 2 * u, mid[0] + 2 * u, mid[1] + 2 * u], fill=accent)
    elif motif == "jar":
        pen.rounded_rectangle([cx - 18 * u, floor - 24 * u, cx + 18 * u, floor], radius=6 * u, fill=shape)
        pen.rounded_rectangle([cx - 19 * u, floor - 31 * u, cx + 19 * u, floor - 23 * u], radius=2 * u, fill=light)
        pen.rounded_rectangle([cx - 12 * u, floor - 17 * u, cx + 12 * u, floor - 7 * u], radius=u, fill=accent)
    elif motif == "cards":
        for i, turn in enumerate((-16, -5, 6, 17)):
            card = PILImage.new("RGBA", (int(22 * u), int(32 * u)), (0, 0, 0, 0))
            colour = shape if i % 2 else light
            ImageDraw.Draw(card).rounded_rectangle([0, 0, card.width - 1, card.height - 1], radius=2 * u, fill=colour)
            ImageDraw.Draw(card).ellipse(
                [card.width / 2 - 3 * u, card.height / 2 - 3 * u, card.width / 2 + 3 * u, card.height / 2 + 3 * u],
                fill=accent,
            )
            card = card.rotate(-turn + rng.uniform(-3, 3), expand=True, resample=PILImage.BICUBIC)
            picture.paste(card, (int(cx - card.width / 2 + turn * 0.8 * u), int(floor - card.height)), card)
    elif motif == "robe":
        shoulders, hem = floor - 58 * u, floor - 2 * u
        hanger = [(cx - 16 * u, shoulders), (cx, floor - 64 * u), (cx + 16 * u, shoulders)]
        pen.line(hanger, fill=light, width=int(2 * u))
        pen.polygon(
            [(cx - 14 * u, shoulders), (cx + 14 * u, shoulders), (cx + 24 * u, hem), (cx - 24 * u, hem)], fill=shape
        )
        pen.polygon([(cx - 14 * u, floor - 58 * u), (cx, floor - 38 * u), (cx + 14 * u, floor - 58 * u)], fill=light)
        pen.rectangle([cx - 19 * u, floor - 30 * u, cx + 19 * u, floor - 26 * u], fill=accent)
    else:
        pen.rounded_rectangle([cx - 18 * u, floor - 30 * u, cx + 18 * u, floor], radius=3 * u, fill=shape)
        pen.rectangle([cx - 18 * u, floor - 22 * u, cx + 18 * u, floor - 18 * u], fill=accent)


def draw_portrait(picture, rng, palette):
    width, height = picture.size
    _, _, shape, accent = palette
    u = min(width, height) / 100
    cx = width / 2
    glow(picture, (cx, height * 0.42), 36 * u, accent, 10 * u)
    pen = ImageDraw.Draw(picture)
    tone = mix(shape, accent, rng.uniform(0.05, 0.3))
    pen.ellipse([cx - 36 * u, height * 0.7, cx + 36 * u, height * 0.7 + 70 * u], fill=tone)  # shoulders
    pen.ellipse([cx - 17 * u, height * 0.26, cx + 17 * u, height * 0.26 + 38 * u], fill=tone)  # head
    hair = mix(shape, (30, 20, 24), rng.uniform(0.2, 0.6))
    pen.chord([cx - 18 * u, height * 0.24, cx + 18 * u, height * 0.24 + 34 * u], 180, 360, fill=hair)


def draw_landscape(picture, rng, palette):
    width, height = picture.size
    _, bottom, shape, accent = palette
    sun = (rng.uniform(0.2, 0.8) * width, rng.uniform(0.28, 0.45) * height)
    glow(picture, sun, height * 0.22, accent, height * 0.08)
    pen = ImageDraw.Draw(picture)
    radius = height * rng.uniform(0.09, 0.14)
    pen.ellipse([sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius], fill=mix(accent, bottom, 0.35))
    layers = rng.randint(3, 4)
    for layer in range(layers):
        t = (layer + 1) / layers
        base = height * (0.55 + 0.12 * layer)
        amplitude = height * rng.uniform(0.03, 0.08)
        frequency = rng.uniform(1.0, 2.4)
        phase = rng.uniform(0, math.tau)
        points = [
            (x, base + amplitude * math.sin(phase + frequency * math.tau * x / width)) for x in range(0, width + 8, 8)
        ]
        pen.polygon(points + [(width, height), (0, height)], fill=mix(bottom, shape, 0.25 + 0.6 * t))
    # Two resting forms close together on the nearest hill: the brand's motif of closeness.
    x = rng.uniform(0.3, 0.7) * width
    y = height * 0.86
    size = height * 0.07
    near = mix(shape, (30, 20, 24), 0.35)
    pen.ellipse([x - size * 2.2, y - size * 0.7, x + size * 0.2, y + size * 0.5], fill=near)
    pen.ellipse([x - size * 0.4, y - size * 0.9, x + size * 2.0, y + size * 0.4], fill=mix(near, accent, 0.25))


def draw(seed, size, palette=None):
    """The picture of a title (its seed), as PNG bytes in a buffer; the palette is the seed's unless given."""
    return io.BytesIO(drawn(seed, tuple(size), palette and tuple(palette)))


@functools.lru_cache(maxsize=64)
def drawn(seed, size, palette):
    """The PNG bytes of a picture, drawn once per process: the test suite loads the demo many times over."""
    rng = seeded(seed)
    palette = palette or PALETTES[rng.randrange(len(PALETTES))]
    top, bottom, _, _ = palette
    if rng.random() < 0.5:
        top, bottom = bottom, top
    picture = gradient(size, palette[0], palette[1]) if seed.startswith("Portrait of") else gradient(size, top, bottom)
    motif = motif_of(seed)
    if seed.startswith("Portrait of"):
        draw_portrait(picture, rng, palette)
    elif motif:
        draw_product(picture, rng, motif, palette)
    else:
        picture = gradient(size, palette[0], palette[1])
        draw_landscape(picture, rng, palette)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def demo_image(title, alt_text, size=(1200, 800)):
    """The demo image of this title, drawn once and reused on later runs."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    filename = title.lower().replace(" ", "-") + ".png"
    image = Image(title=title, description=alt_text)
    image.file = ImageFile(draw(title, size), name=filename)
    image.save()
    return image


def draw_logo(size=512):
    """The brand mark as a raster (schema.org's Organization logo wants one): a plum disc with a blush V."""
    plum, blush = PALETTES[0][2], PALETTES[0][0]
    picture = PILImage.new("RGB", (size, size), (255, 253, 251))
    pen = ImageDraw.Draw(picture)
    pen.ellipse([size * 0.04, size * 0.04, size * 0.96, size * 0.96], fill=plum)
    stroke = size * 0.09
    pen.line(
        [(size * 0.3, size * 0.3), (size * 0.5, size * 0.72), (size * 0.7, size * 0.3)], fill=blush, width=int(stroke)
    )
    for x in (0.3, 0.7):  # round the ends of the V
        pen.ellipse(
            [size * x - stroke / 2, size * 0.3 - stroke / 2, size * x + stroke / 2, size * 0.3 + stroke / 2], fill=blush
        )
    return picture


def write_site_images(directory):
    """The home page's hero (three widths, WebP) and the logo (PNG) under static/img/; run once and commit:
    `python -c "from cms.demo.images import write_site_images; write_site_images('static/img')"`."""
    hero = PILImage.open(draw("Verity: two people resting together at dusk", (1600, 1000), PALETTES[4]))
    for width in (640, 1024, 1600):
        hero.resize((width, width * 10 // 16), PILImage.LANCZOS).save(f"{directory}/home-hero-{width}.webp", quality=72)
    draw_logo().save(f"{directory}/logo.png", optimize=True)
