export { encodeMethodCall, escapeXml, dateTimeText } from './encode';
export { decodeXmlRpc, dateTime, type XmlRpcMessage, type XmlRpcDecodeOptions } from './decode';
export { faultToRemoteError } from './fault';
export { prettyXml } from './pretty';
