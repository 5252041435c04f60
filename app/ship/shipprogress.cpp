// SPDX-License-Identifier: MIT
#include "shipprogress.h"

#include "util/format.h"

using namespace Qt::StringLiterals;

namespace Gantry {

QString LayerShipState::stateName(State state)
{
    switch (state) {
    case Pending: return u"waiting"_s;
    case InEngine: return u"already there (engine)"_s;
    case AlreadyThere: return u"already there"_s;
    case Sending: return u"sending"_s;
    case Verified: return u"verified"_s;
    }
    return {};
}

QString LayerShipState::describe() const
{
    if (state == Verified && transfer == Delta)
        return u"delta: sent %1 of %2, verified"_s.arg(formatBytes(sentBytes), formatBytes(compressedSize));
    if (state == Verified)
        return u"whole: %1, verified"_s.arg(formatBytes(sentBytes > 0 ? sentBytes : compressedSize));
    if (state == Sending)
        return transfer == Delta ? u"sending delta"_s : u"sending whole"_s;
    return stateName(state);
}

QString ShipResult::summary() const
{
    if (mode == ShipMode::Full) {
        QString s = u"sent %1 of the %2 archive"_s.arg(formatBytes(bytesSent), formatBytes(bytesFull));
        if (resumedFrom > 0)
            s += u" (resumed: %1 were already on the server)"_s.arg(formatBytes(resumedFrom));
        return s;
    }
    QString s = u"%1 of %2 layers already on the server: sent %3 instead of %4"_s.arg(layersPresent)
                    .arg(layers)
                    .arg(formatBytes(bytesSent), formatBytes(bytesFull));
    if (layersDelta > 0)
        s += u" (%1 as deltas; whole missing layers: %2; the whole image gzipped, as docker save | gzip: %3)"_s.arg(layersDelta)
                 .arg(formatBytes(bytesWholeLayers), formatBytes(bytesFull));
    return s;
}

} // namespace Gantry
