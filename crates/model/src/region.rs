//! The regions where the API is served (the API metadata's endpoint list).

use crate::text::Text;

/// A region where the API is served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub id: &'static str,
    pub name: Text,
}

impl Region {
    /// The API endpoint host of this region.
    pub fn endpoint(&self) -> String {
        format!("emr-serverless-spark.{}.aliyuncs.com", self.id)
    }

    pub fn find(id: &str) -> Option<&'static Region> {
        REGIONS.iter().find(|r| r.id == id)
    }
}

/// The regions of the API metadata's endpoint list.
pub const REGIONS: [Region; 15] = [
    region("cn-beijing", "China (Beijing)", "华北2（北京）"),
    region("cn-zhangjiakou", "China (Zhangjiakou)", "华北3（张家口）"),
    region("cn-wulanchabu", "China (Ulanqab)", "华北6（乌兰察布）"),
    region("cn-hangzhou", "China (Hangzhou)", "华东1（杭州）"),
    region("cn-shanghai", "China (Shanghai)", "华东2（上海）"),
    region("cn-shenzhen", "China (Shenzhen)", "华南1（深圳）"),
    region("cn-chengdu", "China (Chengdu)", "西南1（成都）"),
    region("cn-hongkong", "China (Hong Kong)", "中国香港"),
    region("ap-northeast-1", "Japan (Tokyo)", "日本（东京）"),
    region("ap-southeast-1", "Singapore", "新加坡"),
    region(
        "ap-southeast-5",
        "Indonesia (Jakarta)",
        "印度尼西亚（雅加达）",
    ),
    region("us-east-1", "US (Virginia)", "美国（弗吉尼亚）"),
    region("us-west-1", "US (Silicon Valley)", "美国（硅谷）"),
    region("eu-central-1", "Germany (Frankfurt)", "德国（法兰克福）"),
    region("na-south-1", "Mexico", "墨西哥"),
];

const fn region(id: &'static str, en: &'static str, zh: &'static str) -> Region {
    Region {
        id,
        name: Text::new(en, zh),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_the_metadata_hosts_and_only_known_ids_are_found() {
        assert_eq!(
            Region::find("cn-hangzhou").unwrap().endpoint(),
            "emr-serverless-spark.cn-hangzhou.aliyuncs.com"
        );
        assert!(Region::find("cn-hangzhou.evil.com").is_none());
    }
}
