#include "passwordcheck.h"

#include <QCryptographicHash>

namespace synack::server {

bool passwordMatches(const QString &expected, const QString &given)
{
    const QByteArray a = QCryptographicHash::hash(expected.toUtf8(), QCryptographicHash::Sha256);
    const QByteArray b = QCryptographicHash::hash(given.toUtf8(), QCryptographicHash::Sha256);
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

} // namespace synack::server
