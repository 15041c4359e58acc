#include "commandparser.h"

#include <QCoreApplication>

namespace synack::client {

namespace {

// Errors and help are read by a person: in their language.
QString tr(const char *text)
{
    return QCoreApplication::translate("synack::client::CommandParser", text);
}

Command invalid(const QString &error)
{
    return Command{Command::Kind::Invalid, {}, {}, error};
}

// Splits "word rest of it" at the first run of spaces.
std::pair<QString, QString> splitWord(const QString &s)
{
    const QString trimmed = s.trimmed();
    const qsizetype space = trimmed.indexOf(QLatin1Char(' '));
    if (space < 0)
        return {trimmed, {}};
    return {trimmed.left(space), trimmed.mid(space + 1).trimmed()};
}

} // namespace

QString commandHelp()
{
    return tr(QT_TRANSLATE_NOOP("synack::client::CommandParser",
                                "commands: /msg NICK TEXT, /nick NEW, /who, /quit [REASON]; "
                                "start a line with // to send one beginning with /"));
}

Command parseCommand(const QString &line)
{
    if (line.trimmed().isEmpty())
        return {};
    if (!line.startsWith(QLatin1Char('/')) || line.size() == 1)
        return Command{Command::Kind::Say, {}, line, {}};
    if (line.startsWith(QLatin1StringView("//")))
        return Command{Command::Kind::Say, {}, line.mid(1), {}};

    const auto [name, rest] = splitWord(line.mid(1));
    const QString command = name.toLower();
    if (command == QLatin1StringView("msg")) {
        const auto [target, text] = splitWord(rest);
        if (target.isEmpty() || text.isEmpty())
            return invalid(
                tr(QT_TRANSLATE_NOOP("synack::client::CommandParser", "usage: /msg NICK TEXT")));
        return Command{Command::Kind::Private, target, text, {}};
    }
    if (command == QLatin1StringView("nick")) {
        if (rest.isEmpty() || rest.contains(QLatin1Char(' ')))
            return invalid(
                tr(QT_TRANSLATE_NOOP("synack::client::CommandParser", "usage: /nick NEW")));
        return Command{Command::Kind::Nick, rest, {}, {}};
    }
    if (command == QLatin1StringView("who")) {
        if (!rest.isEmpty())
            return invalid(tr(QT_TRANSLATE_NOOP("synack::client::CommandParser", "usage: /who")));
        return Command{Command::Kind::Who, {}, {}, {}};
    }
    if (command == QLatin1StringView("quit"))
        return Command{Command::Kind::Quit, {}, rest, {}};
    return invalid(
        tr(QT_TRANSLATE_NOOP("synack::client::CommandParser", "unknown command /%1 (%2)"))
            .arg(name, commandHelp()));
}

} // namespace synack::client
