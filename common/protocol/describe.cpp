#include "protocol/describe.h"

#include <QStringList>
#include <algorithm>

namespace synack::protocol {
namespace {

QString quoted(const QString &text, int maxLength)
{
    QString shown = text.size() > maxLength ? text.left(maxLength) + QStringLiteral("…") : text;
    shown.replace(u'\n', QStringLiteral("\\n"));
    return u'"' + shown + u'"';
}

QString describeValue(const Value &value, int maxLength)
{
    switch (value.kind) {
    case Value::Kind::Unsigned:
        return QString::number(value.unsignedValue);
    case Value::Kind::Negative:
        return QString::number(value.negativeValue);
    case Value::Kind::Text:
        return quoted(value.text, maxLength);
    case Value::Kind::Bool:
        return value.boolean ? QStringLiteral("true") : QStringLiteral("false");
    case Value::Kind::Array: {
        QStringList items;
        for (qsizetype i = 0; i < value.items.size() && i < 5; ++i)
            items.append(describeValue(value.items[i], 16));
        if (value.items.size() > 5)
            items.append(QStringLiteral("… %1 in all").arg(value.items.size()));
        return u'[' + items.join(QStringLiteral(", ")) + u']';
    }
    case Value::Kind::Other:
        break;
    }
    return QStringLiteral("?");
}

} // namespace

QString describeEnvelope(const Envelope &envelope, int maxTextLength)
{
    QStringList keys = envelope.fields.keys();
    std::sort(keys.begin(), keys.end());
    QString line = envelope.type;
    for (const QString &key : std::as_const(keys))
        line += u' ' + key + u'=' + describeValue(*envelope.fields.find(key), maxTextLength);
    return line;
}

QString describePayload(QByteArrayView payload, int maxTextLength)
{
    const EnvelopeResult parsed = parseEnvelope(payload);
    if (parsed.error)
        return QStringLiteral("(%1: %2)")
            .arg(errorCodeName(parsed.error.code), parsed.error.detail);
    return describeEnvelope(parsed.envelope, maxTextLength);
}

} // namespace synack::protocol
