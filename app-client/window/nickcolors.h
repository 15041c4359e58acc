#pragma once

// Each nick gets the same colour every time, in every window: a hash of its
// case-folded form (protocol::nickKey) picks one of a dozen hues, drawn darker
// on a light background and lighter on a dark one, so all stay readable.

#include <QColor>
#include <QPalette>
#include <QString>

namespace synack::client {

// Which of the hues `nick` gets: stable across runs, machines and Qt versions.
int nickColorIndex(const QString &nick);
int nickColorCount();
QColor nickColor(const QString &nick, const QPalette &palette);
bool isDarkPalette(const QPalette &palette);

} // namespace synack::client
