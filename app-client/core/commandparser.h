#pragma once

// What a user types, as the command line and the window's input box read it:
//
//   line    = command / text
//   command = "/msg" SP nick SP text | "/nick" SP nick | "/who" | "/quit" [SP reason]
//   text    = anything else; "//x" sends "/x", a lone "/" is text too
//
// Pure: no state, no sending.

#include <QString>

namespace synack::client {

struct Command
{
    enum class Kind {
        Empty,   // nothing but spaces: ignored
        Say,     // text for the room
        Private, // /msg: `target` and `text`
        Nick,    // /nick: `target` is the new nick
        Who,
        Quit,    // /quit: `text` is the optional reason
        Invalid, // `error` says why
    };

    Kind kind = Kind::Empty;
    QString target;
    QString text;
    QString error;
};

Command parseCommand(const QString &line);

// One line of help for the commands, for error messages and --help.
QString commandHelp();

} // namespace synack::client
