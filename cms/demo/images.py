"""Demo images drawn with Pillow, so the demo needs no downloads and no binary files in the repo."""

import io
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

PALETTES = [
    ((122, 46, 79), (246, 207, 214)),
    ((40, 74, 110), (198, 222, 240)),
    ((52, 97, 70), (214, 236, 214)),
    ((150, 84, 32), (248, 226, 196)),
    ((88, 58, 130), (228, 214, 246)),
]


def draw(seed, size):
    """A soft abstract picture: a vertical gradient with overlapping circles."""
    rng = random.Random(seed)
    dark, light = PALETTES[rng.randrange(len(PALETTES))]
    width, height = size
    picture = PILImage.new("RGB", size, light)
    pen = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / height
        pen.line([(0, y), (width, y)], fill=tuple(int(light[i] + (dark[i] - light[i]) * t * 0.5) for i in range(3)))
    for _ in range(6):
        radius = rng.randint(width // 10, width // 3)
        x, y = rng.randint(0, width), rng.randint(0, height)
        shade = tuple(min(255, c + rng.randint(0, 60)) for c in dark)
        pen.ellipse([x - radius, y - radius, x + radius, y + radius], fill=shade)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer


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
