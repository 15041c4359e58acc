#include "nickcolors.h"

#include "protocol/nick.h"

#include <array>

namespace synack::client {

namespace {

// Hues spread around the wheel, the hard-to-read greenish yellows left out.
constexpr std::array kHues{0, 24, 36, 100, 140, 170, 195, 215, 240, 265, 290, 320};

} // namespace

int nickColorIndex(const QString &nick)
{
    // FNV-1a over the UTF-8 of the folded nick: the same everywhere.
    quint32 hash = 2166136261u;
    for (const char byte : protocol::nickKey(nick).toUtf8()) {
        hash ^= quint8(byte);
        hash *= 16777619u;
    }
    return int(hash % kHues.size());
}

int nickColorCount()
{
    return int(kHues.size());
}

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor nickColor(const QString &nick, const QPalette &palette)
{
    const int hue = kHues.at(size_t(nickColorIndex(nick)));
    return isDarkPalette(palette) ? QColor::fromHsl(hue, 170, 175) : QColor::fromHsl(hue, 200, 85);
}

} // namespace synack::client
