"""Draw the app icon (resources/icons/ntm.ico and ntm.png): a green rice-field badge with "NTM".

Run once with the project's venv (Pillow comes with reportlab): python installer/make_icon.py
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
FONT = ROOT / "resources" / "fonts" / "LiberationSerif-Bold.ttf"


def draw(size: int = 256) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    r = size // 8
    d.rounded_rectangle((4, 4, size - 4, size - 4), radius=r, fill=(27, 110, 58, 255))
    # three rows of rice field
    for i, y in enumerate((0.70, 0.80, 0.90)):
        top = int(size * y)
        d.rounded_rectangle((size * 0.12, top, size * 0.88, top + size * 0.05), radius=size // 40,
                            fill=(246, 196, 69, 255 - i * 40))
    font = ImageFont.truetype(str(FONT), int(size * 0.38))
    text = "NTM"
    box = d.textbbox((0, 0), text, font=font)
    d.text(((size - (box[2] - box[0])) / 2 - box[0], size * 0.16 - box[1] + size * 0.08), text,
           font=font, fill=(255, 255, 255, 255))
    return img


if __name__ == "__main__":
    ICONS.mkdir(parents=True, exist_ok=True)
    image = draw()
    image.save(ICONS / "ntm.png")
    image.save(ICONS / "ntm.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    print(ICONS / "ntm.ico")
