//! Ways: named sets of clusters drawn over the map, ordered along an axis.
//!
//! In the model Vejkort follows, a way is a direction a community can take, made of the solution clusters
//! that support it; a cluster may sit in several ways or in none, and ways are ordered between two named ends.
//! The default set is the four ways of INVI's "Fire veje til en bæredygtig velfærd" (2025), ordered from
//! *Afvikling* to *Udvikling*.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// One way: a name, a one-line description, a colour and the clusters it draws on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Way {
    pub id: u32,
    pub name: String,
    pub description: String,
    /// CSS colour, `#rrggbb`.
    pub colour: String,
    pub clusters: BTreeSet<i32>,
    pub visible: bool,
}

/// The ways of a project, in order along the axis from `axis_start` to `axis_end`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ways {
    pub axis_start: String,
    pub axis_end: String,
    pub ways: Vec<Way>,
}

impl Default for Ways {
    /// The four ways of the seed study, with its own one-line descriptions, and no clusters assigned yet.
    fn default() -> Self {
        // Colours from the Okabe–Ito palette, which stays distinct for the common colour-vision deficiencies.
        let way = |id: u32, name: &str, description: &str, colour: &str| Way {
            id,
            name: name.to_owned(),
            description: description.to_owned(),
            colour: colour.to_owned(),
            clusters: BTreeSet::new(),
            visible: true,
        };
        Ways {
            axis_start: "Afvikling".to_owned(),
            axis_end: "Udvikling".to_owned(),
            ways: vec![
                way(1, "Less is more", "Gennemgribende afbureaukratisering, klog økonomisk styring og en konstant søgen efter, hvordan velfærden kan leveres simplere og bedre.", "#E69F00"),
                way(2, "Smarter not harder", "Stor satsning på nye teknologiske løsninger, som slipper velfærdsmedarbejderne fri til at gøre det, de er bedst til.", "#0072B2"),
                way(3, "Join forces", "Nedbryd siloer, udnyt potentialet i civilsamfund, virksomheder og frivillige, og skub fokus frem mod forebyggelse.", "#009E73"),
                way(4, "New deal", "Politisk mod til at genforhandle samfundskontrakten og se den nye geopolitiske situation som en mulighed for at ruste velfærden.", "#CC79A7"),
            ],
        }
    }
}

impl Ways {
    /// Adds `cluster` to the way or removes it; returns whether it is now a member.
    pub fn toggle(&mut self, way_id: u32, cluster: i32) -> bool {
        let Some(way) = self.ways.iter_mut().find(|way| way.id == way_id) else { return false };
        if way.clusters.remove(&cluster) {
            false
        } else {
            way.clusters.insert(cluster);
            true
        }
    }

    pub fn set_visible(&mut self, way_id: u32, visible: bool) {
        if let Some(way) = self.ways.iter_mut().find(|way| way.id == way_id) {
            way.visible = visible;
        }
    }

    /// The ways a cluster belongs to, in axis order.
    pub fn of_cluster(&self, cluster: i32) -> impl Iterator<Item = &Way> {
        self.ways.iter().filter(move |way| way.clusters.contains(&cluster))
    }

    /// Empties every way, keeping names, descriptions, colours and order (after a new analysis, whose cluster
    /// ids mean other groups).
    pub fn clear_clusters(&mut self) {
        self.ways.iter_mut().for_each(|way| way.clusters.clear());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_ways_run_from_afvikling_to_udvikling() {
        let ways = Ways::default();
        let names: Vec<&str> = ways.ways.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(names, ["Less is more", "Smarter not harder", "Join forces", "New deal"]);
        assert_eq!((ways.axis_start.as_str(), ways.axis_end.as_str()), ("Afvikling", "Udvikling"));
        assert!(ways.ways.iter().all(|w| w.clusters.is_empty() && w.visible));
    }

    #[test]
    fn a_cluster_can_sit_in_several_ways_or_none() {
        let mut ways = Ways::default();
        assert!(ways.toggle(1, 4));
        assert!(ways.toggle(3, 4));
        assert!(ways.toggle(3, 7));
        let of_four: Vec<u32> = ways.of_cluster(4).map(|w| w.id).collect();
        assert_eq!(of_four, [1, 3]);
        assert_eq!(ways.of_cluster(9).count(), 0);
        assert!(!ways.toggle(1, 4));
        assert_eq!(ways.of_cluster(4).count(), 1);
        ways.clear_clusters();
        assert!(ways.ways.iter().all(|w| w.clusters.is_empty()));
        assert_eq!(ways.ways[2].name, "Join forces");
    }
}
